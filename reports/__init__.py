"""Quarterly progress reports (generated in the background) and the dashboard's figures."""
