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

/// A model that is slow to evaluate: `inputs` dropped inputs (2^inputs masks)
/// behind `layers` layers of 64 tanh units, a Bernoulli output, three design
/// points; the free weights are hidden1[0][0] and output[0][0], so every unit
/// after the first layer varies with them (16 inputs and two layers: a row of
/// vertices takes seconds).
inline Preset slowPreset(int inputs, int layers) {
    auto matrix = [](int rows, int cols) {
        nlohmann::json m = nlohmann::json::array();
        for (int r = 0; r < rows; ++r) {
            nlohmann::json row = nlohmann::json::array();
            for (int j = 0; j < cols; ++j) row.push_back(0.05 * ((r + 2 * j) % 9) - 0.2);
            m.push_back(row);
        }
        return m;
    };
    nlohmann::json hidden = nlohmann::json::array(), weights = {{"hidden1", matrix(64, inputs)}};
    for (int l = 1; l <= layers; ++l) {
        hidden.push_back({{"units", 64}, {"activation", "tanh"}});
        if (l > 1) weights["hidden" + std::to_string(l)] = matrix(64, 64);
    }
    weights["output"] = matrix(1, 64);
    const nlohmann::json preset = {
        {"format", 1},
        {"name", "slow"},
        {"design", matrix(3, inputs)},
        {"network", {{"hidden", hidden}, {"output", "bernoulli"}}},
        {"weights", weights},
        {"free", {{{"weight", "hidden1[0][0]"}, {"range", {-2, 2}}}, {{"weight", "output[0][0]"}, {"range", {-2, 2}}}}},
        {"dropout", {{"sites", {"input"}}, {"rate", 0.5}}}};
    return parsePreset(preset.dump());
}

/// A preset from a JSON text (fails the test on a validation error).
inline Preset presetFromText(const std::string& text) {
    try {
        return parsePreset(text);
    } catch (const PresetError& e) {
        qFatal("test preset invalid at %s: %s", e.path().c_str(), e.what());
    }
}

}  // namespace manifoldlens::test
