"""Inbound sources and outbound actions, one subpackage per platform plus ``replay``."""
