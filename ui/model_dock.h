#pragma once
/// @file model_dock.h
/// The Model dock: preset chooser, the design and network (read-only), the
/// two free-weight ranges and the grid resolution.

#include "grid.h"
#include "preset.h"
#include "settings.h"

#include <QDockWidget>

class QComboBox;
class QDoubleSpinBox;
class QPlainTextEdit;
class QSpinBox;

namespace manifoldlens {

class ModelDock : public QDockWidget {
    Q_OBJECT

public:
    explicit ModelDock(QWidget* parent = nullptr);

    /// Shows a preset (its description, design and network) and its source in the chooser.
    void showPreset(const Preset& preset, const QString& source);
    /// Recent preset files, most recent first, listed under the built-ins.
    void setRecentFiles(const QStringList& files);
    /// Reflects ranges and resolution without emitting signals.
    void showSettings(const ComputeSettings& settings);
    /// Reflects the kernel and thread count (0 = all) without emitting signals.
    void showKernel(ComputeControl::Kernel kernel, int threads);

signals:
    /// A built-in name or a recent file's path was chosen.
    void presetChosen(const QString& source);
    void openPresetFileRequested();
    void rangesChanged(double uLo, double uHi, double vLo, double vHi);
    void resolutionChanged(int resolution);
    /// The kernel or the thread count (0 = every hardware thread) was changed.
    void kernelChanged(ComputeControl::Kernel kernel, int threads);

private:
    void emitRanges();
    void rebuildChooser(const QString& current);

    QComboBox* chooser_;
    QPlainTextEdit* summary_;
    QDoubleSpinBox* range_[4];
    QSpinBox* resolution_;
    QComboBox* kernel_;
    QSpinBox* threads_;
    QStringList recent_;
    QString current_;
};

/// A plain-text summary of a preset: title, description, design points, layers, free weights, dropout.
QString presetSummary(const Preset& preset);

}  // namespace manifoldlens
