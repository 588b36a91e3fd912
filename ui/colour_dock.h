#pragma once
/// @file colour_dock.h
/// The Colour dock: the colour field, alpha of the embedding curvature, log
/// scale, and an automatic or locked colour range.

#include "fields.h"
#include "view_state.h"

#include <QDockWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace manifoldlens {

class SliderSpin;

class ColourDock : public QDockWidget {
    Q_OBJECT

public:
    explicit ColourDock(QWidget* parent = nullptr);

    /// Reflects the options and alpha without emitting.
    void showOptions(const DisplayOptions& options, double alpha);
    /// The automatic range of the frame on screen, shown and used as the
    /// starting point when the user locks the range.
    void showCurrentRange(const ValueRange& range);


signals:
    void fieldChanged(ScalarField field);
    void alphaChanged(double alpha);
    void logScaleChanged(bool logScale);
    /// The range was locked or unlocked or its bounds were edited.
    void rangeChanged(bool locked, ValueRange range);

private:
    void updateEnabled();
    void emitRange();

    QComboBox* field_;
    SliderSpin* alpha_;
    QLabel* alphaName_;
    QCheckBox* log_;
    QCheckBox* lock_;
    QDoubleSpinBox* lo_;
    QDoubleSpinBox* hi_;
    QLabel* current_;
};

/// "statistical (e)" at alpha = 1, "mixture (m)" at -1, "Levi-Civita (0)" at 0, else "alpha = a".
QString alphaLabel(double alpha);

}  // namespace manifoldlens
