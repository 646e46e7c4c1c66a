from .... import
