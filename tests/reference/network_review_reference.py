"""networkx reference for tests/review/test_network_review.py (issue 16): the group-to-group
density of the test's hand-made network file, every group a node, an edge where a
respondent of either group named the other.

Run: python tests/reference/network_review_reference.py
"""

import networkx as nx

GROUPS = ["G1", "G2", "G3"]
# (respondent's group, named group) pairs across groups, from the test's answers
NAMED = {
    "pre": [("G1", "G2")],
    "followup": [("G1", "G2"), ("G1", "G3"), ("G1", "G2"), ("G1", "G3"), ("G2", "G1"), ("G3", "G1"),
                 ("G3", "G2"), ("G3", "G1")],
}
for wave, pairs in NAMED.items():
    graph = nx.Graph()
    graph.add_nodes_from(GROUPS)
    graph.add_edges_from(pairs)
    print(wave, graph.number_of_edges(), repr(nx.density(graph)),
          {g: repr(c) for g, c in nx.degree_centrality(graph).items()})
