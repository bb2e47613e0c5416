"""A retrieval assistant that answers questions from a document collection with cited passages
and extracted figures. No generative model: every answer is text taken from the sources."""

__version__ = "0.1.0"
