#include "colour_dock.h"

#include "slider_spin.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

#include <cmath>

namespace manifoldlens {

QString alphaLabel(double alpha) {
    if (alpha == 1.0) return QObject::tr("statistical (e)");
    if (alpha == -1.0) return QObject::tr("mixture (m)");
    if (alpha == 0.0) return QObject::tr("Levi-Civita (0)");
    return QStringLiteral("alpha = %1").arg(alpha, 0, 'f', 2);
}

ColourDock::ColourDock(QWidget* parent)
    : QDockWidget(tr("Colour"), parent),
      field_(new QComboBox),
      alpha_(new SliderSpin(spec::kAlpha, 2)),
      alphaName_(new QLabel),
      log_(new QCheckBox(tr("Log scale"))),
      lock_(new QCheckBox(tr("Lock range (comparable across rates)"))),
      lo_(new QDoubleSpinBox),
      hi_(new QDoubleSpinBox),
      current_(new QLabel) {
    setObjectName(QStringLiteral("colourDock"));
    auto* body = new QWidget;
    auto* form = new QFormLayout(body);
    for (const FieldInfo& f : scalarFields()) field_->addItem(QString::fromLatin1(f.name), int(f.field));
    form->addRow(tr("Field"), field_);

    auto* ends = new QHBoxLayout;
    ends->addWidget(new QLabel(tr("-1 mixture (m)")));
    ends->addStretch();
    ends->addWidget(alphaName_);
    ends->addStretch();
    ends->addWidget(new QLabel(tr("statistical (e) 1")));
    alpha_->setToolTip(tr("alpha of the embedding curvature gamma2: H = (1+alpha)/2 H(e) + (1-alpha)/2 H(m)"));
    form->addRow(tr("Alpha"), alpha_);
    form->addRow(QString(), ends);
    log_->setToolTip(tr("log10 for positive fields, symmetric log for signed fields:\n"
                        "sign(x) log10(1 + |x| / c), linear below c = the median |x|\n"
                        "(with a locked range, c = 1/100 of its larger bound)"));
    form->addRow(QString(), log_);
    form->addRow(QString(), lock_);
    for (QDoubleSpinBox* box : {lo_, hi_}) {
        box->setRange(-1e12, 1e12);
        box->setDecimals(6);
        box->setKeyboardTracking(false);
        connect(box, &QDoubleSpinBox::valueChanged, this, &ColourDock::emitRange);
    }
    auto* bounds = new QHBoxLayout;
    bounds->addWidget(lo_);
    bounds->addWidget(new QLabel(QStringLiteral("to")));
    bounds->addWidget(hi_);
    form->addRow(tr("Range"), bounds);
    current_->setWordWrap(true);
    form->addRow(QString(), current_);
    setWidget(body);

    connect(field_, &QComboBox::activated, this, [this](int index) {
        updateEnabled();
        emit fieldChanged(static_cast<ScalarField>(field_->itemData(index).toInt()));
    });
    connect(alpha_, &SliderSpin::valueChanged, this, [this](double a) {
        alphaName_->setText(alphaLabel(a));
        emit alphaChanged(a);
    });
    connect(log_, &QCheckBox::toggled, this, &ColourDock::logScaleChanged);
    connect(lock_, &QCheckBox::toggled, this, [this] {
        updateEnabled();
        emitRange();
    });
    alphaName_->setText(alphaLabel(alpha_->value()));
    updateEnabled();
}


void ColourDock::showOptions(const DisplayOptions& o, double alpha) {
    const QSignalBlocker b1(field_), b2(alpha_), b3(log_), b4(lock_), b5(lo_), b6(hi_);
    field_->setCurrentIndex(field_->findData(int(o.field)));
    alpha_->setValue(alpha);
    alphaName_->setText(alphaLabel(alpha_->value()));
    log_->setChecked(o.logScale);
    lock_->setChecked(o.lockRange);
    lo_->setValue(o.lockedRange.lo);
    hi_->setValue(o.lockedRange.hi);
    updateEnabled();
}

void ColourDock::showCurrentRange(const ValueRange& range) {
    current_->setText(tr("Frame range: %1 to %2").arg(range.lo, 0, 'g', 4).arg(range.hi, 0, 'g', 4));
    if (!lock_->isChecked()) {
        const QSignalBlocker b1(lo_), b2(hi_);
        lo_->setValue(range.lo);
        hi_->setValue(range.hi);
    }
}

void ColourDock::updateEnabled() {
    const auto field = static_cast<ScalarField>(field_->currentData().toInt());
    alpha_->setEnabled(field == ScalarField::EmbeddingCurvature);
    lo_->setEnabled(lock_->isChecked());
    hi_->setEnabled(lock_->isChecked());
}

void ColourDock::emitRange() {
    if (lock_->isChecked() && !(lo_->value() < hi_->value())) {
        current_->setText(tr("The locked range needs lower < upper."));
        return;
    }
    emit rangeChanged(lock_->isChecked(), ValueRange{lo_->value(), hi_->value()});
}

}  // namespace manifoldlens
