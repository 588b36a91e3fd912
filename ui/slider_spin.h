#pragma once
/// @file slider_spin.h
/// A slider and a spin box kept in step, for one declared numeric setting.

#include "settings.h"

#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace manifoldlens {

/// A double-valued control over spec's interactive range in spec's steps.
/// valueChanged fires once per user change (and on setValue when the value changes).
class SliderSpin : public QWidget {
    Q_OBJECT

public:
    explicit SliderSpin(const NumericSpec& spec, int decimals, QWidget* parent = nullptr);

    double value() const;
    void setValue(double value);
    /// Moves by delta, clamped to the interactive range.
    void step(double delta);

    QSlider* slider() const { return slider_; }
    QDoubleSpinBox* spinBox() const { return spin_; }

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
