/* placeholder: being written */
typedef int dp_placeholder_chgcar_t;
