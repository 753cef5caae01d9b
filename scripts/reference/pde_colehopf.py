"""Write pde/testdata/colehopf_mpmath.csv: the Cole–Hopf solution of the
burgers-shock problem (u_t + u u_x = (0.01/π) u_xx, u(0,x) = −sin(πx)) at a
few points, computed with mpmath at 40 significant digits in the original
variable η, by tanh–sinh and by Gauss–Legendre quadrature on 56 panels; the
script fails unless the two agree to 1e-16. (At 30 digits mpmath's quad
returned values off by up to 2e-11 near the shock, without warning; hence the
cross-check.) It is a reference independent of the Go package's Gauss–Hermite
rule and of float64 rounding; TestColeHopfMpmath reads it.

    u(t,x) = −∫ sin(π(x−η)) f(x−η) G(η) dη / ∫ f(x−η) G(η) dη,
    f(y) = exp(−cos(πy)/(2πν)),  G(η) = exp(−η²/(4νt)).

Run from the repository root: /usr/bin/python3 scripts/reference/pde_colehopf.py
"""
import mpmath as mp

mp.mp.dps = 40
NU = mp.mpf("0.01") / mp.pi


def u(t, x, method):
    t, x = mp.mpf(t), mp.mpf(x)
    s = mp.sqrt(4 * NU * t)
    k = 1 / (2 * mp.pi * NU)

    # Both integrands carry the factor exp(−k) so they stay below 1.
    def w(eta):
        return mp.exp(-eta**2 / (4 * NU * t) - k * (mp.cos(mp.pi * (x - eta)) + 1))

    # Beyond |η| = 14s the integrand is below e^{−196} while the integral is
    # above e^{−60}: negligible at 40 digits.
    pts = [-14 * s + i * s / 2 for i in range(57)]
    num = mp.quad(lambda e: mp.sin(mp.pi * (x - e)) * w(e), pts, method=method)
    den = mp.quad(w, pts, method=method)
    return -num / den


def grid_x(j):
    # The float64 value of burgers-shock's j-th grid point, −1 + 2j/255 as Go
    # computes it (A + j·L/(N−1)).
    return -1.0 + j * 2.0 / 255


points = []
for t in [0.1, 0.5, 0.99]:
    for j in [10, 64, 126, 127, 128, 129, 200]:
        points.append((t, grid_x(j)))
t_max_slope = float(mp.mpf("1.6037") / mp.pi)
for x in [1e-4, 1e-3, 5e-3]:
    points.append((t_max_slope, x))

worst = mp.mpf(0)
with open("pde/testdata/colehopf_mpmath.csv", "w") as f:
    f.write("# t,x,u: burgers-shock Cole–Hopf solution, mpmath 40 digits (scripts/reference/pde_colehopf.py)\n")
    for t, x in points:
        a, b = u(t, x, "tanh-sinh"), u(t, x, "gauss-legendre")
        worst = max(worst, abs(a - b))
        if abs(a - b) > mp.mpf("1e-16"):
            raise SystemExit("t=%r x=%r: tanh-sinh %s and Gauss-Legendre %s disagree" % (t, x, a, b))
        f.write("%r,%r,%s\n" % (t, x, mp.nstr(a, 22)))
print("largest tanh-sinh vs Gauss-Legendre difference:", mp.nstr(worst, 3))
