"""The pure domain of the register: values, parties, assets, rights, events, history, policy.

Nothing here does I/O or reads the clock. See DESIGN §2–§7.
"""
