"""Production-linkage models (mô hình liên kết sản xuất): who buys a key product from whom, and from which areas."""
