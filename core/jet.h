#pragma once
/// @file jet.h
/// Second-order forward-mode jets in two variables (u, v): a value with its
/// exact first and second partial derivatives. Every derivative in the core is
/// propagated this way; nothing is finite-differenced.

#include <cmath>

namespace manifoldlens {

/// f(u, v) with f_u, f_v, f_uu, f_uv, f_vv at one point.
struct Jet2 {
    double v = 0.0;
    double du = 0.0, dv = 0.0;
    double duu = 0.0, duv = 0.0, dvv = 0.0;

    static Jet2 constant(double value) { return Jet2{value, 0, 0, 0, 0, 0}; }
    /// The coordinate u (derivative 1 in u) or v (derivative 1 in v).
    static Jet2 variableU(double value) { return Jet2{value, 1, 0, 0, 0, 0}; }
    static Jet2 variableV(double value) { return Jet2{value, 0, 1, 0, 0, 0}; }

    /// First derivative along parameter a (0 = u, 1 = v).
    double d(int a) const { return a == 0 ? du : dv; }
    /// Second derivative along parameters a and b.
    double dd(int a, int b) const { return a + b == 0 ? duu : (a + b == 1 ? duv : dvv); }

    Jet2& operator+=(const Jet2& o) {
        v += o.v; du += o.du; dv += o.dv; duu += o.duu; duv += o.duv; dvv += o.dvv;
        return *this;
    }
    Jet2& operator-=(const Jet2& o) {
        v -= o.v; du -= o.du; dv -= o.dv; duu -= o.duu; duv -= o.duv; dvv -= o.dvv;
        return *this;
    }
    Jet2& operator*=(double s) {
        v *= s; du *= s; dv *= s; duu *= s; duv *= s; dvv *= s;
        return *this;
    }
};

inline Jet2 operator+(Jet2 a, const Jet2& b) { return a += b; }
inline Jet2 operator-(Jet2 a, const Jet2& b) { return a -= b; }
inline Jet2 operator*(Jet2 a, double s) { return a *= s; }
inline Jet2 operator*(double s, Jet2 a) { return a *= s; }

/// Product rule to second order.
inline Jet2 operator*(const Jet2& a, const Jet2& b) {
    return Jet2{a.v * b.v,
                a.du * b.v + a.v * b.du,
                a.dv * b.v + a.v * b.dv,
                a.duu * b.v + 2.0 * a.du * b.du + a.v * b.duu,
                a.duv * b.v + a.du * b.dv + a.dv * b.du + a.v * b.duv,
                a.dvv * b.v + 2.0 * a.dv * b.dv + a.v * b.dvv};
}

/// Chain rule: g(a) given g(a.v), g'(a.v) and g''(a.v).
inline Jet2 compose(const Jet2& a, double g0, double g1, double g2) {
    return Jet2{g0,
                g1 * a.du,
                g1 * a.dv,
                g1 * a.duu + g2 * a.du * a.du,
                g1 * a.duv + g2 * a.du * a.dv,
                g1 * a.dvv + g2 * a.dv * a.dv};
}

inline Jet2 exp(const Jet2& a) {
    const double e = std::exp(a.v);
    return compose(a, e, e, e);
}

}  // namespace manifoldlens
