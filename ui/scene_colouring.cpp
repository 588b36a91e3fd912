#include "scene_colouring.h"

#include "colour_maps.h"

#include <vtkDoubleArray.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkScalarBarActor.h>
#include <vtkScalarBarActorInternal.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace manifoldlens {

namespace {

/// A scalar bar whose custom labels show given texts instead of their
/// coordinates printed with the label format: on a symmetric log scale the
/// labels sit at symlog(value) but must read value.
class LabelledScalarBarActor : public vtkScalarBarActor {
public:
    static LabelledScalarBarActor* New();
    vtkTypeMacro(LabelledScalarBarActor, vtkScalarBarActor)

    void setTexts(std::vector<std::string> texts) {
        texts_ = std::move(texts);
        Modified();
    }
    const std::vector<std::string>& texts() const { return texts_; }

protected:
    LabelledScalarBarActor() = default;

    // The base class creates one text actor per custom label; the texts are
    // replaced before the layout measures them.
    void LayoutTicks() override {
        vtkScalarBarActor::LayoutTicks();
        if (!GetUseCustomLabels()) return;
        const std::size_t n = std::min(texts_.size(), P->TextActors.size());
        for (std::size_t i = 0; i < n; ++i) P->TextActors[i]->SetInput(texts_[i].c_str());
    }

private:
    std::vector<std::string> texts_;
};

vtkStandardNewMacro(LabelledScalarBarActor);

std::string formatValue(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", v);
    return text;
}

}  // namespace

double ColourScale::coordinate(double value) const {
    return kind == ColourScaleKind::SymmetricLog ? symlog(value, threshold) : value;
}

ValueRange ColourScale::coordinateRange() const { return {coordinate(range.lo), coordinate(range.hi)}; }

ColourScale chooseColourScale(const std::vector<double>& values, bool isSigned, bool logRequested,
                              const std::optional<ValueRange>& lockedRange) {
    const bool wantLog10 = logRequested && !isSigned;
    std::optional<ValueRange> r = lockedRange;
    if (!r) r = robustRange(values, isSigned, wantLog10);
    if (!r && wantLog10) r = robustRange(values, isSigned, false);  // no positive value
    if (!r) r = isSigned ? ValueRange{-1.0, 1.0} : ValueRange{0.0, 1.0};
    ColourScale s;
    s.range = nonDegenerate(*r);
    if (logRequested && isSigned) {
        s.kind = ColourScaleKind::SymmetricLog;
        s.threshold = lockedRange ? symlogThresholdForRange(*lockedRange) : symlogThreshold(values);
    } else if (wantLog10 && s.range.lo > 0.0) {
        s.kind = ColourScaleKind::Log10;
    }
    return s;
}

std::vector<ColourBarLabel> symmetricLogLabels(const ColourScale& scale, double minimumGap) {
    std::vector<ColourBarLabel> out;
    if (scale.kind != ColourScaleKind::SymmetricLog) return out;
    const ValueRange t = scale.coordinateRange();
    const double length = t.hi - t.lo;
    if (!(length > 0.0) || !std::isfinite(length)) return out;
    const auto place = [&](double v) { return (scale.coordinate(v) - t.lo) / length; };
    const auto add = [&](double v) {
        if (!(v >= scale.range.lo && v <= scale.range.hi)) return;
        const double p = place(v);
        for (const ColourBarLabel& l : out)
            if (std::abs(p - place(l.value)) < minimumGap) return;
        out.push_back({v, scale.coordinate(v), formatValue(v)});
    };
    add(scale.range.lo);
    add(scale.range.hi);
    add(0.0);
    // Powers of ten from the range's bound down to well below the threshold,
    // where they crowd at the centre anyway.
    const double bound = std::max(std::abs(scale.range.lo), std::abs(scale.range.hi));
    const int top = static_cast<int>(std::floor(std::log10(bound)));
    const int bottom = std::max(top - 30, static_cast<int>(std::floor(std::log10(scale.threshold))) - 3);
    for (double mantissa : {1.0, 5.0, 2.0})
        for (int p = top; p >= bottom; --p) {
            // Division by an exact power of ten keeps 0.1, 0.05, ... correctly rounded.
            const double v = p >= 0 ? mantissa * std::pow(10.0, p) : mantissa / std::pow(10.0, -p);
            add(v);
            add(-v);
        }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
    return out;
}

std::string colourBarTitle(const FieldInfo& info, const ColourScale& scale, bool anyUndefined) {
    std::string title = info.name;
    title += "\n[";
    title += info.units;
    title += "]";
    switch (scale.kind) {
    case ColourScaleKind::Linear: break;
    case ColourScaleKind::Log10: title += ", log scale"; break;
    case ColourScaleKind::SymmetricLog:
        title += ", symmetric log\nlinear within \xc2\xb1";  // UTF-8 plus-minus sign
        title += formatValue(scale.threshold);
        break;
    }
    // VTK's NaN swatch label collides with the bar's labels: say it here (on
    // the third line at most, which clears the top of the bar).
    if (anyUndefined) title += scale.kind == ColourScaleKind::SymmetricLog ? ", grey: undefined" : "\ngrey: undefined";
    return title;
}

void fillLookupTable(vtkLookupTable* lut, const ColourScale& scale, bool isSigned, int size) {
    const ValueRange t = scale.coordinateRange();
    const std::vector<Rgb> table = fieldColourTable(isSigned, t.lo, t.hi, size);
    lut->SetNumberOfTableValues(size);
    for (int k = 0; k < size; ++k) {
        const Rgb& c = table[static_cast<std::size_t>(k)];
        lut->SetTableValue(k, c[0], c[1], c[2], 1.0);
    }
    lut->SetNanColor(kUndefinedColour[0], kUndefinedColour[1], kUndefinedColour[2], 1.0);
    // Linear first: a log scale rejects the previous range if it is not positive.
    lut->SetScaleToLinear();
    lut->SetTableRange(t.lo, t.hi);
    if (scale.kind == ColourScaleKind::Log10) lut->SetScaleToLog10();
    lut->BuildSpecialColors();
    lut->Modified();
}

vtkScalarBarActor* newColourBar() {
    vtkScalarBarActor* bar = LabelledScalarBarActor::New();
    // Vertical along the right edge, labels on its left; its title is a
    // separate text of the scene (VTK centres its own title over the bar,
    // which pushes long titles out of the view).
    bar->SetOrientationToVertical();
    bar->SetTextPositionToSucceedScalarBar();
    bar->SetNumberOfLabels(5);
    bar->SetMaximumNumberOfColors(256);  // no visible bands
    bar->SetLabelFormat("%.3g");
    bar->SetPosition(0.88, 0.08);
    bar->SetWidth(0.11);
    bar->SetHeight(0.76);
    bar->SetBarRatio(0.3);
    bar->SetUnconstrainedFontSize(true);
    bar->SetDrawNanAnnotation(false);
    for (vtkTextProperty* t : {bar->GetLabelTextProperty(), bar->GetAnnotationTextProperty()}) {
        t->SetFontFamilyToArial();
        t->BoldOff();
        t->ItalicOff();
        t->ShadowOff();
        t->SetFontSize(13);
    }
    bar->PickableOff();
    bar->SetVisibility(false);
    return bar;
}

void setColourBarLabels(vtkScalarBarActor* bar, const std::vector<ColourBarLabel>& labels) {
    auto* labelled = LabelledScalarBarActor::SafeDownCast(bar);
    if (labelled == nullptr) return;
    if (labels.empty()) {
        labelled->SetUseCustomLabels(false);
        labelled->setTexts({});
        return;
    }
    vtkNew<vtkDoubleArray> coordinates;
    std::vector<std::string> texts;
    for (const ColourBarLabel& l : labels) {
        coordinates->InsertNextValue(l.coordinate);
        texts.push_back(l.text);
    }
    labelled->SetCustomLabels(coordinates);
    labelled->SetUseCustomLabels(true);
    labelled->setTexts(std::move(texts));
}

std::vector<std::string> colourBarLabelTexts(vtkScalarBarActor* bar) {
    auto* labelled = LabelledScalarBarActor::SafeDownCast(bar);
    if (labelled == nullptr || !labelled->GetUseCustomLabels()) return {};
    return labelled->texts();
}

}  // namespace manifoldlens
