"""Portal views, one module per user: the unit, the appraiser, Nội vụ; plus sign-in and files."""
