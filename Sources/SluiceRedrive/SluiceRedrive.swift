// The SluiceRedrive module; see DESIGN.md §2.
