"""Model providers behind one interface; vendor SDKs are imported only in this package."""
