#include "slider_spin.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <cmath>

namespace manifoldlens {

SliderSpin::SliderSpin(const NumericSpec& spec, int decimals, QWidget* parent)
    : QWidget(parent), spec_(spec), slider_(new QSlider(Qt::Horizontal, this)), spin_(new QDoubleSpinBox(this)) {
    slider_->setRange(0, toTicks(spec.interactiveMax));
    slider_->setPageStep(5);
    spin_->setRange(spec.interactiveMin, spec.interactiveMax);
    spin_->setSingleStep(spec.step);
    spin_->setDecimals(decimals);
    spin_->setKeyboardTracking(false);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(slider_, 1);
    layout->addWidget(spin_);
    setValue(spec.defaultValue);

    connect(slider_, &QSlider::valueChanged, this, [this](int ticks) {
        const QSignalBlocker block(spin_);
        spin_->setValue(fromTicks(ticks));
        emit valueChanged(spin_->value());
    });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(slider_);
        slider_->setValue(toTicks(v));
        emit valueChanged(v);
    });
}

int SliderSpin::toTicks(double value) const {
    return static_cast<int>(std::lround((value - spec_.interactiveMin) / spec_.step));
}

double SliderSpin::fromTicks(int ticks) const { return spec_.interactiveMin + ticks * spec_.step; }

double SliderSpin::value() const { return spin_->value(); }

void SliderSpin::setValue(double value) {
    // A valid value beyond the interactive range (from the command line or a
    // preset) widens the spin box to it; the slider stays at its end.
    const double v = checkSetting(spec_, value) ? std::clamp(value, spec_.interactiveMin, spec_.interactiveMax) : value;
    if (v < spin_->minimum() || v > spin_->maximum())
        spin_->setRange(std::min(v, spec_.interactiveMin), std::max(v, spec_.interactiveMax));
    if (v == spin_->value() && toTicks(v) == slider_->value()) return;
    {
        const QSignalBlocker blockSlider(slider_);
        const QSignalBlocker blockSpin(spin_);
        slider_->setValue(toTicks(v));
        spin_->setValue(v);
    }
    emit valueChanged(spin_->value());
}

void SliderSpin::step(double delta) { setValue(std::clamp(value() + delta, spin_->minimum(), spin_->maximum())); }

}  // namespace manifoldlens
