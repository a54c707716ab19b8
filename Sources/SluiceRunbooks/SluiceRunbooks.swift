// The SluiceRunbooks module; see DESIGN.md §2.
