"""thanhtra: Vietnamese inspection documents → structured records (see ../shared/eval/GUIDE.md)."""
__version__ = "0.1.0"
