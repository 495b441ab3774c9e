//! Export support: premises abroad that large members offer and SMEs request stays in; VIE posts a
//! large member hosts and several SMEs share (time and cost shares summing to 100 %).
