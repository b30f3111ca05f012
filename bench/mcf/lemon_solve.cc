// SPDX-License-Identifier: MIT
// lemon_solve.cc - the LEMON reference for bench/mcf/run.sh: reads a DIMACS
// min-cost-flow file, runs one LEMON algorithm, prints the solve time (not
// counting the read) and the optimal cost in the DIMACS "s" convention.
//   lemon_solve ALGO FILE     ALGO: ns-block ns-candidate ns-altering cs cap
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <lemon/capacity_scaling.h>
#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

using namespace lemon;
typedef SmartDigraph G;
typedef long long V;

template <typename Alg> static void report(Alg &alg, int status, int optimal, double secs)
{
    if (status != optimal)
        std::printf("s INFEASIBLE\n");
    else
        std::printf("s %lld\n", (V)alg.totalCost());
    std::fprintf(stderr, "c solve %.3f s\n", secs);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: lemon_solve ns-block|ns-candidate|ns-altering|cs|cap FILE\n");
        return 64;
    }
    std::ifstream in(argv[2]);
    if (!in) {
        std::fprintf(stderr, "lemon_solve: cannot open %s\n", argv[2]);
        return 66;
    }
    G g;
    G::ArcMap<V> lower(g), cap(g), cost(g);
    G::NodeMap<V> sup(g);
    readDimacsMin(in, g, lower, cap, cost, sup);
    const char *a = argv[1];
    auto t0 = std::chrono::steady_clock::now();
    auto secs = [&]() {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    if (std::strncmp(a, "ns-", 3) == 0) {
        NetworkSimplex<G, V, V> ns(g);
        ns.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(sup);
        NetworkSimplex<G, V, V>::PivotRule rule = NetworkSimplex<G, V, V>::BLOCK_SEARCH;
        if (std::strcmp(a, "ns-candidate") == 0)
            rule = NetworkSimplex<G, V, V>::CANDIDATE_LIST;
        else if (std::strcmp(a, "ns-altering") == 0)
            rule = NetworkSimplex<G, V, V>::ALTERING_LIST;
        int st = ns.run(rule);
        report(ns, st, NetworkSimplex<G, V, V>::OPTIMAL, secs());
    } else if (std::strcmp(a, "cs") == 0) {
        CostScaling<G, V, V> cs(g);
        cs.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(sup);
        int st = cs.run();
        report(cs, st, CostScaling<G, V, V>::OPTIMAL, secs());
    } else if (std::strcmp(a, "cap") == 0) {
        CapacityScaling<G, V, V> cs(g);
        cs.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(sup);
        int st = cs.run();
        report(cs, st, CapacityScaling<G, V, V>::OPTIMAL, secs());
    } else {
        std::fprintf(stderr, "lemon_solve: unknown algorithm %s\n", a);
        return 64;
    }
    return 0;
}
