"""The legal instruments (văn bản) a plan cites, each tied to one entry of the registry (legal.yaml).

forms.py says how a citation is written (numbers, issuers, provinces); find.py finds citations in a
text; registry.py reads the registry and makes instrument ids; resolve.py ties citations to registry
entries and reports disagreements. `python -m sitegen.citations FILE` lists a document's citations.
"""
from __future__ import annotations

from .find import extract, read_document, sentence_around
from .forms import normalize_number
from .registry import (entries_from_citations, legal_id, load_names, load_registry, names_from_data,
                       registry_entry_from_citation, registry_from_data)
from .resolve import check_registry, registry_patch, resolve

__all__ = ["check_registry", "entries_from_citations", "extract", "legal_id", "load_names", "load_registry",
           "names_from_data", "normalize_number", "read_document", "registry_entry_from_citation",
           "registry_from_data", "registry_patch", "resolve", "sentence_around"]
