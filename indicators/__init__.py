"""The department's figures: KT-1, KT-2 and KT-3 of the seed plans and the registry's own, computed from evidence.

The top layer of the house: it reads every package below it (registry, trace, qr) and nothing imports it but the
composition root. Each indicator is one definition (indicators.definitions) with one query for its records; the
numerator and the denominator are counted over those same records, so every figure opens onto the rows behind it.
"""
