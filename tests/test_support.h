#pragma once
// Shared helpers of the core tests: finite-difference stencils and tolerances.

#include "preset.h"

#include <QtTest/QtTest>

#include <array>
#include <cmath>
#include <functional>
#include <string>

namespace manifoldlens::test {

// Sixth-order central stencils on offsets -3..3.
inline constexpr std::array<double, 7> kFirst = {-1.0 / 60, 3.0 / 20, -3.0 / 4, 0.0, 3.0 / 4, -3.0 / 20, 1.0 / 60};
inline constexpr std::array<double, 7> kSecond = {1.0 / 90, -3.0 / 20, 3.0 / 2, -49.0 / 18, 3.0 / 2, -3.0 / 20, 1.0 / 90};

/// The derivatives of f at (u, v) by sixth-order central differences of its values:
/// {f_u, f_v, f_uu, f_uv, f_vv}. The mixed one is the tensor product of first-derivative stencils.
inline std::array<double, 5> finiteDifferences(const std::function<double(double, double)>& f, double u, double v,
                                               double h) {
    std::array<double, 5> d{};
    for (int i = 0; i < 7; ++i) {
        const double o = (i - 3) * h;
        d[0] += kFirst[i] * f(u + o, v) / h;
        d[1] += kFirst[i] * f(u, v + o) / h;
        d[2] += kSecond[i] * f(u + o, v) / (h * h);
        d[4] += kSecond[i] * f(u, v + o) / (h * h);
        for (int j = 0; j < 7; ++j) d[3] += kFirst[i] * kFirst[j] * f(u + o, v + (j - 3) * h) / (h * h);
    }
    return d;
}

/// |a - b| <= rel * max(|a|, |b|) + abs.
inline bool close(double a, double b, double rel, double abs = 0.0) {
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + abs;
}

/// The message of a failed ML_COMPARE_CLOSE.
inline QByteArray closeMessage(const char* expression, double actual, double expected) {
    return QStringLiteral("%1 = %2, expected %3")
        .arg(QString::fromLatin1(expression))
        .arg(actual, 0, 'g', 17)
        .arg(expected, 0, 'g', 17)
        .toUtf8();
}

#define ML_COMPARE_CLOSE(actual, expected, rel, abs)                                                              \
    QVERIFY2(::manifoldlens::test::close(static_cast<double>(actual), static_cast<double>(expected), (rel), (abs)), \
             ::manifoldlens::test::closeMessage(#actual, static_cast<double>(actual), static_cast<double>(expected)) \
                 .constData())

/// A preset from a JSON text (fails the test on a validation error).
inline Preset presetFromText(const std::string& text) {
    try {
        return parsePreset(text);
    } catch (const PresetError& e) {
        qFatal("test preset invalid at %s: %s", e.path().c_str(), e.what());
    }
}

}  // namespace manifoldlens::test
