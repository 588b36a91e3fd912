#pragma once
/// @file slider_spin.h
/// A slider and a spin box kept in step, for one declared numeric setting.

#include "settings.h"

#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace manifoldlens {

/// A double-valued control over spec's interactive range in spec's steps; a
/// valid value set beyond that range widens the spin box to it (the slider
/// stays at its end). valueChanged fires once per user change (and on
/// setValue when the value changes).
class SliderSpin : public QWidget {
    Q_OBJECT

public:
    explicit SliderSpin(const NumericSpec& spec, int decimals, QWidget* parent = nullptr);

    double value() const;
    void setValue(double value);
    /// Moves by delta, clamped to the spin box's range.
    void step(double delta);

signals:
    void valueChanged(double value);

private:
    int toTicks(double value) const;
    double fromTicks(int ticks) const;

    NumericSpec spec_;
    QSlider* slider_;
    QDoubleSpinBox* spin_;
};

}  // namespace manifoldlens
