#pragma once
/// @file dropout_dock.h
/// The Dropout dock: the rate (slider and spin box), the aggregation, and a
/// Play button that sweeps the rate back and forth.

#include "preset.h"

#include <QDockWidget>

class QComboBox;
class QPushButton;
class QTimer;

namespace manifoldlens {

class SliderSpin;

class DropoutDock : public QDockWidget {
    Q_OBJECT

public:
    explicit DropoutDock(QWidget* parent = nullptr);

    double rate() const;
    /// Sets the rate (clamped to the interactive range); emits rateChanged when it changes.
    void setRate(double rate);
    /// Moves the rate by delta (the + and - keys).
    void stepRate(double delta);
    /// Reflects the aggregation without emitting.
    void showAggregation(Aggregation aggregation);
    /// Enables the controls only where the preset has dropout sites.
    void setHasSites(bool hasSites);

    bool isPlaying() const;
    void setPlaying(bool playing);
    void togglePlaying() { setPlaying(!isPlaying()); }

    /// Rate change per animation step and the step interval of Play.
    static constexpr double kPlayStep = 0.01;
    static constexpr int kPlayIntervalMs = 40;

signals:
    void rateChanged(double rate);
    void aggregationChanged(Aggregation aggregation);

private:
    void advance();

    SliderSpin* rate_;
    QComboBox* aggregation_;
    QPushButton* play_;
    QTimer* timer_;
    double direction_ = 1.0;
};

}  // namespace manifoldlens
