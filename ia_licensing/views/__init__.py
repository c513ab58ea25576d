"""The IA containers: each a view plus its `*_table_model.py` behind a sort/filter proxy."""
