#pragma once
/// @file view_dock.h
/// The View dock: overlays, axes, background and the camera.

#include "view_state.h"

#include <QDockWidget>

class QCheckBox;

namespace manifoldlens {

class ViewDock : public QDockWidget {
    Q_OBJECT

public:
    explicit ViewDock(QWidget* parent = nullptr);

    /// Reflects the options without emitting.
    void showOptions(const DisplayOptions& options);

signals:
    void referenceOverlayChanged(bool on);
    void isoLinesChanged(bool on);
    void axesChanged(bool on);
    void darkBackgroundChanged(bool on);
    void resetCameraRequested();

private:
    QCheckBox* reference_;
    QCheckBox* isoLines_;
    QCheckBox* axes_;
    QCheckBox* dark_;
};

}  // namespace manifoldlens
