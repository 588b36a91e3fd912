#include "model_dock.h"

#include "builtin_presets.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>

#include <algorithm>
#include <QSpinBox>
#include <QVBoxLayout>

namespace manifoldlens {

namespace {

const QString kOpenFileItem = QStringLiteral("Open preset file...");

QString number(double x) { return QString::number(x, 'g', 6); }

}  // namespace

QString presetSummary(const Preset& p) {
    QString s = QString::fromStdString(p.title.empty() ? p.name : p.title) + QStringLiteral("\n");
    if (!p.description.empty()) s += QString::fromStdString(p.description) + QStringLiteral("\n");
    s += QStringLiteral("\nDesign (%1 %2 in R^%3):\n")
             .arg(p.design.rows)
             .arg(p.design.rows == 1 ? QStringLiteral("point") : QStringLiteral("points"))
             .arg(p.design.cols);
    for (int i = 0; i < p.design.rows; ++i) {
        QStringList row;
        for (int j = 0; j < p.design.cols; ++j) row << number(p.design(i, j));
        s += QStringLiteral("  x%1 = (%2)\n").arg(i + 1).arg(row.join(QStringLiteral(", ")));
    }
    s += QStringLiteral("\nNetwork: input %1").arg(p.design.cols);
    for (const HiddenLayer& h : p.hidden)
        s += QStringLiteral(" -> %1 %2").arg(h.units).arg(QString::fromStdString(activationName(h.activation)));
    s += p.bernoulli ? QStringLiteral(" -> Bernoulli\n") : QStringLiteral(" -> categorical %1\n").arg(p.outputs);
    s += QStringLiteral("Free weights:\n");
    for (const FreeWeight& f : p.free) {
        // A weight without a label of its own is labelled by its name: said once.
        const QString label = QString::fromStdString(f.label), name = QString::fromStdString(f.name);
        s += QStringLiteral("  %1 in [%2, %3]\n")
                 .arg(label == name ? name : label + QStringLiteral(" = ") + name, number(f.lo), number(f.hi));
    }
    QStringList sites;
    for (std::size_t site = 0; site < p.dropout.sites.size(); ++site)
        if (p.dropout.sites[site]) sites << (site == 0 ? QStringLiteral("input") : QStringLiteral("hidden%1").arg(site));
    s += sites.isEmpty() ? QStringLiteral("Dropout: none\n")
                         : QStringLiteral("Dropout on %1 (%2 masks enumerated exactly)\n")
                               .arg(sites.join(QStringLiteral(", ")))
                               .arg(1u << p.maskedUnits());
    return s;
}

ModelDock::ModelDock(QWidget* parent) : QDockWidget(tr("Model"), parent), chooser_(new QComboBox), summary_(new QPlainTextEdit) {
    setObjectName(QStringLiteral("modelDock"));
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    chooser_->setToolTip(tr("A built-in preset, a recent preset file, or open another file"));
    layout->addWidget(chooser_);
    summary_->setReadOnly(true);
    summary_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    summary_->setMinimumHeight(140);
    layout->addWidget(summary_, 1);

    auto* form = new QFormLayout;
    for (int k = 0; k < 4; ++k) {
        range_[k] = new QDoubleSpinBox;
        range_[k]->setRange(-1e6, 1e6);
        range_[k]->setDecimals(3);
        range_[k]->setSingleStep(0.5);
        range_[k]->setKeyboardTracking(false);
        connect(range_[k], &QDoubleSpinBox::valueChanged, this, &ModelDock::emitRanges);
    }
    for (int a = 0; a < 2; ++a) {
        auto* row = new QHBoxLayout;
        row->addWidget(range_[2 * a]);
        row->addWidget(new QLabel(QStringLiteral("to")));
        row->addWidget(range_[2 * a + 1]);
        form->addRow(a == 0 ? tr("u range") : tr("v range"), row);
    }
    resolution_ = new QSpinBox;
    resolution_->setRange(static_cast<int>(spec::kResolution.interactiveMin), static_cast<int>(spec::kResolution.interactiveMax));
    resolution_->setSingleStep(32);
    resolution_->setKeyboardTracking(false);
    resolution_->setSuffix(tr(" vertices per side"));
    resolution_->setToolTip(tr("Vertices per side of the grid"));
    form->addRow(tr("Resolution"), resolution_);
    kernel_ = new QComboBox;
    kernel_->addItem(tr("SIMD (%1)").arg(QString::fromStdString(simdTargetName())), int(ComputeControl::Kernel::Simd));
    kernel_->addItem(tr("scalar reference"), int(ComputeControl::Kernel::Scalar));
    kernel_->setToolTip(tr("The vectorised kernel for this CPU, or the straightforward scalar reference it is tested against"));
    form->addRow(tr("Kernel"), kernel_);
    threads_ = new QSpinBox;
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("all"));
    threads_->setKeyboardTracking(false);
    threads_->setToolTip(tr("Threads of the grid computation"));
    form->addRow(tr("Threads"), threads_);
    layout->addLayout(form);
    setWidget(body);

    connect(resolution_, &QSpinBox::valueChanged, this, &ModelDock::resolutionChanged);
    auto emitKernel = [this] {
        emit kernelChanged(static_cast<ComputeControl::Kernel>(kernel_->currentData().toInt()), threads_->value());
    };
    connect(kernel_, &QComboBox::activated, this, emitKernel);
    connect(threads_, &QSpinBox::valueChanged, this, emitKernel);
    connect(chooser_, &QComboBox::activated, this, [this](int index) {
        const QString source = chooser_->itemData(index).toString();
        if (source.isEmpty()) {
            rebuildChooser(current_);  // put the current preset back while the dialog is open
            emit openPresetFileRequested();
        } else if (source != current_) {
            emit presetChosen(source);
        }
    });
    rebuildChooser(QString());
}

void ModelDock::rebuildChooser(const QString& current) {
    const QSignalBlocker block(chooser_);
    chooser_->clear();
    for (const std::string& name : builtinPresetNames()) chooser_->addItem(QString::fromStdString(name), QString::fromStdString(name));
    if (!recent_.isEmpty()) chooser_->insertSeparator(chooser_->count());
    for (const QString& file : recent_) chooser_->addItem(QFileInfo(file).fileName(), file);
    if (!current.isEmpty() && chooser_->findData(current) < 0) chooser_->addItem(QFileInfo(current).fileName(), current);
    chooser_->insertSeparator(chooser_->count());
    chooser_->addItem(kOpenFileItem, QString());
    chooser_->setCurrentIndex(std::max(0, chooser_->findData(current)));
}

void ModelDock::showPreset(const Preset& preset, const QString& source) {
    current_ = source;
    rebuildChooser(source);
    summary_->setPlainText(presetSummary(preset));
    range_[0]->setToolTip(QString::fromStdString(preset.free[0].label));
    range_[2]->setToolTip(QString::fromStdString(preset.free[1].label));
}

void ModelDock::setRecentFiles(const QStringList& files) {
    recent_ = files;
    rebuildChooser(current_);
}

void ModelDock::showSettings(const ComputeSettings& s) {
    const double values[4] = {s.uLo, s.uHi, s.vLo, s.vHi};
    for (int k = 0; k < 4; ++k) {
        const QSignalBlocker block(range_[k]);
        range_[k]->setValue(values[k]);
    }
    const QSignalBlocker block(resolution_);
    // A resolution beyond the interactive range (from the command line) widens the box to it.
    resolution_->setRange(std::min(s.resolution, static_cast<int>(spec::kResolution.interactiveMin)),
                          std::max(s.resolution, static_cast<int>(spec::kResolution.interactiveMax)));
    resolution_->setValue(s.resolution);
}

void ModelDock::showKernel(ComputeControl::Kernel kernel, int threads) {
    const QSignalBlocker b1(kernel_), b2(threads_);
    kernel_->setCurrentIndex(kernel_->findData(int(kernel)));
    threads_->setValue(threads);
}

void ModelDock::emitRanges() {
    emit rangesChanged(range_[0]->value(), range_[1]->value(), range_[2]->value(), range_[3]->value());
}

}  // namespace manifoldlens
