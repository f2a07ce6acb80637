"""Sampling (chọn mẫu): sample sizes, allocation, reproducible selection and design weights.

Pure package (spec section 5); filled in by the sampling issue.
"""
