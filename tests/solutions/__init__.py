"""The exercises as students write them: reference solutions, alternatives, catalogued bugs."""
