"""Income and its distribution (收益与收益分配): revenue, distributable income, plans, allocation.

Pure functions over domain values (DESIGN §7 P6–P11, §8). Nothing here does I/O or
reads the clock.
"""
