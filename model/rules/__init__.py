"""The model's behaviour, written once as functions over numpy arrays.

Each function works on scalars or on arrays of any length, so a Mesa agent calls it with its own
attributes and the vectorised engine calls it with whole columns. Rules never import an engine.
Random draws take a ``numpy.random.Generator`` from the caller; no rule keeps state.

Modules follow the chain of events in ARCHITECTURE.md: ``weather``, ``departure`` (with
``legal``), ``smuggling``, ``crossing``, ``rescue``, ``disembarkation``, ``reception``.
"""
