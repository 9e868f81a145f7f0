"""litwatch/config"""
