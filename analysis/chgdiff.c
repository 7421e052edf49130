/* placeholder: being written */
typedef int dp_placeholder_chgdiff_t;
