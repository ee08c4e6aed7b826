"""Asih: a clinic's guide for before pregnancy, pregnancy and after birth."""
