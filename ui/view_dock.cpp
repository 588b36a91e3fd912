#include "view_dock.h"

#include <QCheckBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace manifoldlens {

ViewDock::ViewDock(QWidget* parent)
    : QDockWidget(tr("View"), parent),
      reference_(new QCheckBox(tr("Rate-0 manifold (wireframe)"))),
      isoLines_(new QCheckBox(tr("Iso-parameter lines"))),
      axes_(new QCheckBox(tr("Axes"))),
      dark_(new QCheckBox(tr("Dark background"))) {
    setObjectName(QStringLiteral("viewDock"));
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    reference_->setToolTip(tr("The manifold without dropout, drawn as a translucent wireframe for comparison"));
    isoLines_->setToolTip(tr("Curves of constant u and of constant v on the surface"));
    axes_->setToolTip(tr("Labelled axes: phi_i = 2 asin sqrt(p_i) for design point i"));
    for (QCheckBox* box : {reference_, isoLines_, axes_, dark_}) layout->addWidget(box);
    auto* reset = new QPushButton(tr("Reset camera"));
    reset->setToolTip(tr("R"));
    layout->addWidget(reset);
    layout->addStretch();
    setWidget(body);

    connect(reference_, &QCheckBox::toggled, this, &ViewDock::referenceOverlayChanged);
    connect(isoLines_, &QCheckBox::toggled, this, &ViewDock::isoLinesChanged);
    connect(axes_, &QCheckBox::toggled, this, &ViewDock::axesChanged);
    connect(dark_, &QCheckBox::toggled, this, &ViewDock::darkBackgroundChanged);
    connect(reset, &QPushButton::clicked, this, &ViewDock::resetCameraRequested);
}

void ViewDock::showOptions(const DisplayOptions& o) {
    const QSignalBlocker b1(reference_), b2(isoLines_), b3(axes_), b4(dark_);
    reference_->setChecked(o.referenceOverlay);
    isoLines_->setChecked(o.isoLines);
    axes_->setChecked(o.axes);
    dark_->setChecked(o.darkBackground);
}

}  // namespace manifoldlens
