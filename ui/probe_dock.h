#pragma once
/// @file probe_dock.h
/// The Probe dock: every number at the probed vertex, the same ones the
/// command line's --probe prints.

#include "preset.h"
#include "vertex.h"

#include <QDockWidget>

class QTreeWidget;
class QLabel;

namespace manifoldlens {

class ProbeDock : public QDockWidget {
    Q_OBJECT

public:
    explicit ProbeDock(QWidget* parent = nullptr);

    void showReport(const VertexReport& report, const Preset& preset);
    void clear();
    /// Shows a message instead of a report: why there is none (e.g. invalid
    /// settings), or that it is on its way. No values.
    void showMessage(const QString& message);

    /// The text of the value shown for a --probe key (tests and copy).
    QString valueText(const QString& key) const;

private:
    QLabel* hint_;
    QTreeWidget* tree_;
};

}  // namespace manifoldlens
