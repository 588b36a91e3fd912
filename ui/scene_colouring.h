#pragma once
/// @file scene_colouring.h
/// How the scene turns a field's values into colours: the colour scale
/// (linear, log10 or symmetric log) and its range, the lookup table built from
/// them, and the colour bar's title and labels. VTK appears here only as
/// forward declarations.

#include "fields.h"

#include <optional>
#include <string>
#include <vector>

class vtkLookupTable;
class vtkScalarBarActor;

namespace manifoldlens {

enum class ColourScaleKind {
    Linear,
    Log10,         ///< non-negative fields with a positive range: VTK's log10 lookup
    SymmetricLog,  ///< signed fields: symlog() of the values, linear lookup
};

/// A colour scale: how values map to the lookup table, and over which range.
struct ColourScale {
    ColourScaleKind kind = ColourScaleKind::Linear;
    /// The range of the colours, in the field's units (never transformed).
    ValueRange range;
    /// symlog()'s linear threshold c, in the field's units (SymmetricLog only).
    double threshold = 1.0;

    /// The lookup table's coordinate of a field value: symlog(value, threshold)
    /// on a symmetric log scale, the value itself otherwise (a Log10 table takes
    /// the logarithm itself).
    double coordinate(double value) const;

    /// The lookup table's range: the coordinates of range.lo and range.hi.
    ValueRange coordinateRange() const;

    bool logarithmic() const { return kind != ColourScaleKind::Linear; }
};

/// The scale for a field's values. The range is lockedRange when given,
/// otherwise robustRange() of the values (signed fields: +-99th percentile of
/// |x|; non-negative fields: 1st..99th percentile, of the positive values on a
/// log scale), widened when degenerate. With logRequested, a signed field gets
/// a symmetric log scale whose threshold is symlogThreshold() of the values, or
/// symlogThresholdForRange() of a locked range (so a locked range also fixes
/// the colours); a non-negative field gets log10 when its range is positive,
/// and stays linear otherwise.
ColourScale chooseColourScale(const std::vector<double>& values, bool isSigned, bool logRequested,
                              const std::optional<ValueRange>& lockedRange);

/// A label of the colour bar.
struct ColourBarLabel {
    double value = 0.0;       ///< in the field's units
    double coordinate = 0.0;  ///< the lookup table's coordinate of value (its place on the bar)
    std::string text;         ///< value, printed with "%.3g"
};

/// The labels of a symmetric log colour bar: both ends of the range, 0 when
/// inside it, then 1, 5 and 2 times powers of ten (in that order of
/// preference, larger magnitudes first), each kept only when it is at least
/// minimumGap (a fraction of the bar's length) from every label kept before.
/// Sorted by value. Empty for other scales.
std::vector<ColourBarLabel> symmetricLogLabels(const ColourScale& scale, double minimumGap = 0.075);

/// The colour bar's title: the field's name and, on a second line, its units
/// and the scale when logarithmic ("log scale", or "symmetric log, linear
/// within +-c" on a third line); the grey of undefined vertices is named, when
/// any, on the third line.
std::string colourBarTitle(const FieldInfo& info, const ColourScale& scale, bool anyUndefined);

/// Fills lut for the scale: size colours (fieldColourTable() over the
/// coordinate range), that range, log10 or linear lookup, and the undefined
/// colour for NaN.
void fillLookupTable(vtkLookupTable* lut, const ColourScale& scale, bool isSigned, int size);

/// A new vertical colour bar, styled for the scene (right edge, labels on the
/// left, Arial 13, no title of its own, no NaN swatch), whose custom labels can
/// carry their own texts (see setColourBarLabels()). The caller owns the one
/// reference (e.g. vtk::TakeSmartPointer()).
vtkScalarBarActor* newColourBar();

/// Labels a bar from newColourBar(): at the labels' coordinates, showing their
/// texts. Empty labels restore VTK's evenly spaced numeric labels.
void setColourBarLabels(vtkScalarBarActor* bar, const std::vector<ColourBarLabel>& labels);

/// The texts a bar from newColourBar() shows at its custom labels (empty when
/// it shows numeric labels).
std::vector<std::string> colourBarLabelTexts(vtkScalarBarActor* bar);

}  // namespace manifoldlens
