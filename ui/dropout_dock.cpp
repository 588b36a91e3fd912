#include "dropout_dock.h"

#include "settings.h"
#include "slider_spin.h"

#include <QComboBox>
#include <QFormLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTimer>

namespace manifoldlens {

DropoutDock::DropoutDock(QWidget* parent)
    : QDockWidget(tr("Dropout"), parent),
      rate_(new SliderSpin(spec::kRate, 2)),
      aggregation_(new QComboBox),
      play_(new QPushButton(tr("Play"))),
      timer_(new QTimer(this)) {
    setObjectName(QStringLiteral("dropoutDock"));
    auto* body = new QWidget;
    auto* form = new QFormLayout(body);
    rate_->setToolTip(tr("Dropout rate r: each unit at a dropout site is dropped with probability r (+ / - keys)"));
    form->addRow(tr("Rate"), rate_);
    aggregation_->addItem(tr("arithmetic (MC dropout)"), int(Aggregation::Arithmetic));
    aggregation_->addItem(tr("geometric (weight scaling)"), int(Aggregation::Geometric));
    aggregation_->setToolTip(tr("How the predictive distributions of the masks are combined"));
    form->addRow(tr("Aggregation"), aggregation_);
    play_->setCheckable(true);
    play_->setToolTip(tr("Sweep the rate back and forth (Space)"));
    form->addRow(QString(), play_);
    setWidget(body);

    timer_->setInterval(kPlayIntervalMs);
    connect(timer_, &QTimer::timeout, this, &DropoutDock::advance);
    connect(rate_, &SliderSpin::valueChanged, this, &DropoutDock::rateChanged);
    connect(aggregation_, &QComboBox::activated, this,
            [this](int index) { emit aggregationChanged(static_cast<Aggregation>(aggregation_->itemData(index).toInt())); });
    connect(play_, &QPushButton::toggled, this, &DropoutDock::setPlaying);
}

double DropoutDock::rate() const { return rate_->value(); }

void DropoutDock::setRate(double rate) { rate_->setValue(rate); }

void DropoutDock::stepRate(double delta) { rate_->step(delta); }

void DropoutDock::showAggregation(Aggregation aggregation) {
    const QSignalBlocker block(aggregation_);
    aggregation_->setCurrentIndex(aggregation_->findData(int(aggregation)));
}

void DropoutDock::setHasSites(bool hasSites) {
    rate_->setEnabled(hasSites);
    aggregation_->setEnabled(hasSites);
    play_->setEnabled(hasSites);
    if (!hasSites) setPlaying(false);
}

bool DropoutDock::isPlaying() const { return timer_->isActive(); }

void DropoutDock::setPlaying(bool playing) {
    if (playing == isPlaying()) return;
    if (playing && !play_->isEnabled()) return;
    playing ? timer_->start() : timer_->stop();
    {
        const QSignalBlocker block(play_);
        play_->setChecked(playing);
        play_->setText(playing ? tr("Pause") : tr("Play"));
    }
}

void DropoutDock::advance() {
    const double next = rate() + direction_ * kPlayStep;
    if (next > spec::kRate.interactiveMax + 1e-12 || next < spec::kRate.interactiveMin - 1e-12) direction_ = -direction_;
    rate_->step(direction_ * kPlayStep);
}

}  // namespace manifoldlens
