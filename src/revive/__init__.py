"""Revive: the system the idle-unit revival programme runs on."""
