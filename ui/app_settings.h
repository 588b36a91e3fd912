#pragma once
/// @file app_settings.h
/// Persistence of the desktop app's state between runs (QSettings): window
/// geometry and dock layout, the last preset, recent preset files, the
/// computation settings and the display options.

#include "view_state.h"

#include <QByteArray>
#include <QSettings>
#include <QStringList>

#include <memory>

namespace manifoldlens {

class AppSettings {
public:
    /// The application's settings store (organisation "ManifoldLens", application "manifold-lens").
    AppSettings();
    /// A store in a given INI file (tests).
    explicit AppSettings(const QString& iniPath);

    /// The saved state, or defaults for anything missing or malformed.
    ViewState loadViewState() const;
    /// Whether a state was saved before (a first run has none).
    bool hasSavedState() const;
    void saveViewState(const ViewState& state);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void saveWindow(const QByteArray& geometry, const QByteArray& state);

    /// Most recent first, at most kMaxRecentFiles.
    QStringList recentFiles() const;
    void addRecentFile(const QString& path);

    static constexpr int kMaxRecentFiles = 8;

    void sync();

private:
    std::unique_ptr<QSettings> settings_;
};

}  // namespace manifoldlens
