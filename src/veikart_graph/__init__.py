"""veikart-graph: the Norwegian e-health roadmap as Linked Open Data."""

__version__ = "0.1.0"
