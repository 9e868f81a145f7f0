"""litwatch/schedule"""
