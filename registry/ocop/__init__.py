"""OCOP (Mỗi xã một sản phẩm): product evaluations, star ratings and certificates."""
