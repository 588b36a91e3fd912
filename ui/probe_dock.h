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
    /// Shows why no report can be made (e.g. invalid settings), no values.
    void showProblem(const QString& message);

    /// The text of the value shown for a --probe key (tests and copy).
    QString valueText(const QString& key) const;

private:
    QLabel* hint_;
    QTreeWidget* tree_;
};

}  // namespace manifoldlens
