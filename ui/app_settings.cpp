#include "app_settings.h"

#include <cmath>

namespace manifoldlens {

namespace {

double readNumber(const QSettings& s, const QString& key, const NumericSpec& spec) {
    bool ok = false;
    const double v = s.value(key).toDouble(&ok);
    return ok && !checkSetting(spec, v) ? v : spec.defaultValue;
}

}  // namespace

AppSettings::AppSettings() : settings_(std::make_unique<QSettings>(QStringLiteral("ManifoldLens"), QStringLiteral("manifold-lens"))) {}

AppSettings::AppSettings(const QString& iniPath) : settings_(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)) {}

ViewState AppSettings::loadViewState() const {
    const QSettings& s = *settings_;
    ViewState state;
    const QString preset = s.value(QStringLiteral("preset/source")).toString();
    if (!preset.isEmpty()) state.presetSource = preset.toStdString();
    ComputeSettings& c = state.compute;
    c.rate = readNumber(s, QStringLiteral("compute/rate"), spec::kRate);
    c.alpha = readNumber(s, QStringLiteral("compute/alpha"), spec::kAlpha);
    c.resolution = static_cast<int>(readNumber(s, QStringLiteral("compute/resolution"), spec::kResolution));
    if (auto a = parseAggregation(s.value(QStringLiteral("compute/aggregation")).toString().toStdString())) c.aggregation = *a;

    state.kernel.kernel = s.value(QStringLiteral("compute/kernel")).toString() == QStringLiteral("scalar")
                              ? ComputeControl::Kernel::Scalar
                              : ComputeControl::Kernel::Simd;
    const int threads = s.value(QStringLiteral("compute/threads"), 0).toInt();
    state.kernel.threads = threads >= 0 && threads <= 256 ? threads : 0;

    DisplayOptions& d = state.display;
    if (auto f = parseScalarField(s.value(QStringLiteral("display/field")).toString().toStdString())) d.field = *f;
    d.logScale = s.value(QStringLiteral("display/logScale"), d.logScale).toBool();
    d.lockRange = s.value(QStringLiteral("display/lockRange"), d.lockRange).toBool();
    const double lo = s.value(QStringLiteral("display/lockedLo"), d.lockedRange.lo).toDouble();
    const double hi = s.value(QStringLiteral("display/lockedHi"), d.lockedRange.hi).toDouble();
    if (std::isfinite(lo) && std::isfinite(hi) && lo < hi) d.lockedRange = {lo, hi};
    d.referenceOverlay = s.value(QStringLiteral("display/referenceOverlay"), d.referenceOverlay).toBool();
    d.isoLines = s.value(QStringLiteral("display/isoLines"), d.isoLines).toBool();
    d.axes = s.value(QStringLiteral("display/axes"), d.axes).toBool();
    d.darkBackground = s.value(QStringLiteral("display/darkBackground"), d.darkBackground).toBool();
    return state;
}

bool AppSettings::hasSavedState() const { return settings_->contains(QStringLiteral("preset/source")); }

void AppSettings::saveViewState(const ViewState& state) {
    QSettings& s = *settings_;
    s.setValue(QStringLiteral("preset/source"), QString::fromStdString(state.presetSource));
    const ComputeSettings& c = state.compute;
    s.setValue(QStringLiteral("compute/rate"), c.rate);
    s.setValue(QStringLiteral("compute/alpha"), c.alpha);
    s.setValue(QStringLiteral("compute/resolution"), c.resolution);
    s.setValue(QStringLiteral("compute/aggregation"), QString::fromStdString(aggregationName(c.aggregation)));
    s.setValue(QStringLiteral("compute/kernel"),
               state.kernel.kernel == ComputeControl::Kernel::Scalar ? QStringLiteral("scalar") : QStringLiteral("simd"));
    s.setValue(QStringLiteral("compute/threads"), state.kernel.threads);
    const DisplayOptions& d = state.display;
    s.setValue(QStringLiteral("display/field"), QString::fromLatin1(fieldInfo(d.field).key));
    s.setValue(QStringLiteral("display/logScale"), d.logScale);
    s.setValue(QStringLiteral("display/lockRange"), d.lockRange);
    s.setValue(QStringLiteral("display/lockedLo"), d.lockedRange.lo);
    s.setValue(QStringLiteral("display/lockedHi"), d.lockedRange.hi);
    s.setValue(QStringLiteral("display/referenceOverlay"), d.referenceOverlay);
    s.setValue(QStringLiteral("display/isoLines"), d.isoLines);
    s.setValue(QStringLiteral("display/axes"), d.axes);
    s.setValue(QStringLiteral("display/darkBackground"), d.darkBackground);
}

QByteArray AppSettings::windowGeometry() const { return settings_->value(QStringLiteral("window/geometry")).toByteArray(); }

QByteArray AppSettings::windowState() const { return settings_->value(QStringLiteral("window/state")).toByteArray(); }

void AppSettings::saveWindow(const QByteArray& geometry, const QByteArray& state) {
    settings_->setValue(QStringLiteral("window/geometry"), geometry);
    settings_->setValue(QStringLiteral("window/state"), state);
}

QStringList AppSettings::recentFiles() const { return settings_->value(QStringLiteral("preset/recent")).toStringList(); }

void AppSettings::addRecentFile(const QString& path) {
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles) files.removeLast();
    settings_->setValue(QStringLiteral("preset/recent"), files);
}

void AppSettings::sync() { settings_->sync(); }

}  // namespace manifoldlens
