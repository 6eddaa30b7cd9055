"""Reference values for evalkit.stats' network statistics (issue 16), computed with networkx.

Run from this folder with a Python that has networkx (not needed by the tests):
    python network_reference.py > network_reference.out
The tests in tests/stats/test_network.py keep the printed values as literals. Ties are
counted here by plain loops over the rows (an implementation independent of evalkit's
pandas code); density and degree centrality come from networkx.
"""

import csv

import networkx as nx

print("networkx", nx.__version__)
rows = list(csv.DictReader(open("data/network_ties.csv", encoding="utf-8")))
groups = sorted({r["group"] for r in rows} | {"G06"})  # G06: a group nobody from answered
for wave in ("pre", "followup"):
    here = [r for r in rows if r["wave"] == wave]
    graph = nx.Graph()
    graph.add_nodes_from(groups)
    for r in here:
        if r["target"] in groups and r["target"] != r["group"]:
            graph.add_edge(r["group"], r["target"])
    print(f"{wave}.density {nx.density(graph)!r} edges {graph.number_of_edges()}")
    centrality = nx.degree_centrality(graph)
    for g in groups:
        people = {r["participant"] for r in here if r["group"] == g}
        if not people:
            continue
        named = {(r["participant"], r["target"]) for r in here if r["group"] == g and r["target"]}
        to_group = [t for _, t in named if t in groups]
        across = [t for t in to_group if t != g]
        institutions = {t for _, t in named if t not in groups}
        print(f"{wave}.{g} n_participants {len(people)} n_ties {len(named)} "
              f"ties_per_participant {len(named) / len(people)!r} n_ties_groups {len(to_group)} "
              f"n_ties_across {len(across)} n_institutions {len(institutions)} "
              f"degree {graph.degree(g)} degree_centrality {centrality[g]!r}")
