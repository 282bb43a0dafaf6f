"""The domain of Sổ Vàng: units, funds and their rules, free of any framework or store."""
