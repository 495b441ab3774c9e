//! Export support: premises abroad offered by large members and VIE posts shared between SMEs —
//! the pure rules (date ranges, desks, shares of time and cost that sum to 100 %).
