// The SluiceSQS module; see DESIGN.md §2.
