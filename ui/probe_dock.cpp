#include "probe_dock.h"

#include "vertex_json.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <string>

namespace manifoldlens {

namespace {

QString format(const nlohmann::ordered_json& value) {
    if (value.is_null()) return QStringLiteral("undefined");
    if (value.is_boolean()) return value.get<bool>() ? QStringLiteral("yes") : QStringLiteral("no");
    if (value.is_number()) return QString::number(value.get<double>(), 'g', 10);
    QStringList parts;
    for (const auto& item : value) parts << format(item);
    return QStringLiteral("(") + parts.join(QStringLiteral(", ")) + QStringLiteral(")");
}

}  // namespace

ProbeDock::ProbeDock(QWidget* parent) : QDockWidget(tr("Probe"), parent), hint_(new QLabel), tree_(new QTreeWidget) {
    setObjectName(QStringLiteral("probeDock"));
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    hint_->setWordWrap(true);
    layout->addWidget(hint_);
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Quantity"), tr("Value")});
    tree_->setRootIsDecorated(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    layout->addWidget(tree_, 1);
    setWidget(body);
    clear();
}

void ProbeDock::clear() {
    tree_->clear();
    hint_->setText(tr("Click the surface (or hold Shift and hover) to probe a vertex."));
}

void ProbeDock::showMessage(const QString& message) {
    tree_->clear();
    hint_->setText(message);
}

void ProbeDock::showReport(const VertexReport& report, const Preset& preset) {
    tree_->clear();
    const nlohmann::ordered_json json = vertexReportToJson(report);
    hint_->setText(tr("%1 = %2, %3 = %4%5")
                       .arg(QString::fromStdString(preset.free[0].label))
                       .arg(report.u, 0, 'g', 6)
                       .arg(QString::fromStdString(preset.free[1].label))
                       .arg(report.v, 0, 'g', 6)
                       .arg(report.geometry.valid ? QString() : tr(" (singular metric: curvatures undefined)")));
    for (const auto& [key, value] : json.items()) {
        auto* item = new QTreeWidgetItem(tree_, {QString::fromStdString(key), format(value)});
        item->setData(0, Qt::UserRole, QString::fromStdString(key));
        if (key == "probabilities") {
            int i = 1;
            for (const auto& row : value) new QTreeWidgetItem(item, {tr("design point %1").arg(i++), format(row)});
        }
    }
}

QString ProbeDock::valueText(const QString& key) const {
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        if (tree_->topLevelItem(i)->data(0, Qt::UserRole).toString() == key) return tree_->topLevelItem(i)->text(1);
    return QString();
}

}  // namespace manifoldlens
