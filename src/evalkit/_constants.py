"""Names every stage shares."""

#: The ``group`` value of the rows that pool every group.
ALL_GROUPS = "ALL"
