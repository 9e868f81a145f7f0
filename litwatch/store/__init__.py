"""litwatch/store"""
